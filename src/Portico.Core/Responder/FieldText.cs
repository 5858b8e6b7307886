using System.Globalization;
using System.Text;

namespace Portico.Responder;

/// <summary>
/// Values a responder answer carries in its head (a Location built from the request, fields of a respondwith target),
/// made safe for one field: both data paths write them through this, so neither HTTP/1.1 nor HTTP/2 lets a request
/// inject a field into Portico's answer.
/// </summary>
public static class FieldText
{
    /// <summary>CR, LF and the other controls become <c>%XX</c>; a value without them is returned as it is.</summary>
    public static string Safe(string value)
    {
        if (!value.Any(c => c < 0x20 || c == 0x7F))
        {
            return value;
        }

        var sb = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            if (c < 0x20 || c == 0x7F)
            {
                sb.Append('%').Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }
}
