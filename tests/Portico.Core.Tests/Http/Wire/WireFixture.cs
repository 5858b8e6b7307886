namespace Portico.Core.Tests.Http.Wire;

/// <summary>One <see cref="WireSetup"/> shared by the rows of a test class (its rows run one after another; assertions use deltas).</summary>
public sealed class WireFixture : IAsyncLifetime
{
    private WireSetup? _setup;

    public WireSetup Setup => _setup ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync() => _setup = await WireSetup.StartAsync();

    public async Task DisposeAsync()
    {
        if (_setup is not null)
        {
            await _setup.DisposeAsync();
        }
    }
}
