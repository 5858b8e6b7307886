namespace Portico.CounterQuery;

/// <summary>How <c>portico counters</c> prints its answer.</summary>
internal enum OutputFormat
{
    Table,
    Csv,
    Json,
}
