namespace Portico.CommandLanguage;

/// <summary>
/// The operator's words for an enum (<c>ROUNDROBIN</c>, <c>LEASTCONNECTION</c>), matched without
/// regard to case, and written back in their canonical spelling by <c>save config</c>.
/// </summary>
public sealed class KeywordMap<T> where T : struct, Enum
{
    private readonly Dictionary<string, T> _byWord;
    private readonly Dictionary<T, string> _byValue;

    public KeywordMap(params (string Word, T Value)[] entries)
    {
        _byWord = new Dictionary<string, T>(StringComparer.OrdinalIgnoreCase);
        _byValue = [];
        foreach (var (word, value) in entries)
        {
            _byWord.Add(word, value);
            _byValue.TryAdd(value, word);
        }
    }

    public IEnumerable<string> Words => _byValue.Values;

    public bool TryParse(string word, out T value) => _byWord.TryGetValue(word, out value);

    public string this[T value] => _byValue[value];

    public ValueParser Parser => words =>
    {
        Values.ExpectCount(words, 1, 1);
        return TryParse(words[0].Text, out var v)
            ? v
            : throw new ValueException(0, $"expected one of {string.Join(", ", Words)}");
    };
}
