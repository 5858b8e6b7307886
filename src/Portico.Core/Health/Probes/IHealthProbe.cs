namespace Portico.Health.Probes;

/// <summary>
/// Sends one probe of a monitor type to one member and says what happened, naming the layer. A probe
/// never throws for what the member does: refusals, timeouts and bad answers are results. It stops when
/// <c>timeout</c> is cancelled (the monitor's response timeout) and reports which layer it was waiting on.
/// Connections are closed with a reset once the result is in, so probes leave no TIME_WAIT behind.
/// </summary>
internal interface IHealthProbe
{
    ValueTask<ProbeResult> ProbeAsync(ProbeTarget target, CancellationToken timeout);
}
