using System.Globalization;
using System.Text;

namespace TorchFacade;

/// <summary>
/// Parses the Python literal a <c>.npy</c> header holds (<c>{'descr': '&lt;f4', 'fortran_order': False, 'shape': (3, 4), }</c>):
/// a dict of strings, booleans, <c>None</c>, integers, tuples and lists. Bounded (nesting depth, integer size) so a
/// hostile header cannot exhaust the stack or overflow. Every failure is a <see cref="FormatException"/> with the reason.
/// </summary>
internal ref struct NpyHeaderLiteral
{
    private const int MaxDepth = 16;
    private readonly ReadOnlySpan<char> text;
    private int pos;

    private NpyHeaderLiteral(ReadOnlySpan<char> text)
    {
        this.text = text;
        pos = 0;
    }

    /// <summary>Parses a whole header as a dict.</summary>
    /// <exception cref="FormatException">The text is not a Python dict literal of the supported kinds.</exception>
    internal static Dictionary<string, object?> ParseDict(ReadOnlySpan<char> text)
    {
        var parser = new NpyHeaderLiteral(text);
        parser.SkipSpace();
        if (parser.Peek() != '{')
        {
            throw new FormatException("the header is not a Python dict literal (it does not start with '{')");
        }

        var result = (Dictionary<string, object?>)parser.ParseValue(0)!;
        parser.SkipSpace();
        if (parser.pos != parser.text.Length)
        {
            throw new FormatException($"unexpected text after the header dict at offset {parser.pos}");
        }

        return result;
    }

    private readonly char Peek() => pos < text.Length ? text[pos] : '\0';

    private void SkipSpace()
    {
        while (pos < text.Length && text[pos] is ' ' or '\t' or '\n' or '\r')
        {
            pos++;
        }
    }

    private void Expect(char c)
    {
        SkipSpace();
        if (Peek() != c)
        {
            throw new FormatException($"expected '{c}' at offset {pos} of the header but found {Describe()}");
        }

        pos++;
    }

    private readonly string Describe() => pos < text.Length ? $"'{text[pos]}'" : "the end of the header";

    private object? ParseValue(int depth)
    {
        if (depth > MaxDepth)
        {
            throw new FormatException($"the header nests deeper than {MaxDepth} levels");
        }

        SkipSpace();
        char c = Peek();
        switch (c)
        {
            case '{':
                return ParseDictBody(depth);
            case '(':
                return ParseSequence(')', depth);
            case '[':
                return ParseSequence(']', depth);
            case '\'':
            case '"':
                return ParseString();
            default:
                if (c == '-' || char.IsAsciiDigit(c))
                {
                    return ParseInteger();
                }

                if (char.IsAsciiLetter(c))
                {
                    return ParseName();
                }

                throw new FormatException($"unexpected {Describe()} at offset {pos} of the header");
        }
    }

    private Dictionary<string, object?> ParseDictBody(int depth)
    {
        Expect('{');
        var dict = new Dictionary<string, object?>(StringComparer.Ordinal);
        while (true)
        {
            SkipSpace();
            if (Peek() == '}')
            {
                pos++;
                return dict;
            }

            if (Peek() is not ('\'' or '"'))
            {
                throw new FormatException($"expected a quoted key at offset {pos} of the header but found {Describe()}");
            }

            string key = ParseString();
            Expect(':');
            object? value = ParseValue(depth + 1);
            if (!dict.TryAdd(key, value))
            {
                throw new FormatException($"the header repeats the key '{key}'");
            }

            SkipSpace();
            if (Peek() == ',')
            {
                pos++;
                continue;
            }

            Expect('}');
            return dict;
        }
    }

    private List<object?> ParseSequence(char close, int depth)
    {
        pos++; // '(' or '['
        var items = new List<object?>();
        while (true)
        {
            SkipSpace();
            if (Peek() == close)
            {
                pos++;
                return items;
            }

            items.Add(ParseValue(depth + 1));
            SkipSpace();
            if (Peek() == ',')
            {
                pos++;
                continue;
            }

            Expect(close);
            return items;
        }
    }

    private string ParseString()
    {
        char quote = text[pos++];
        var sb = new StringBuilder();
        while (pos < text.Length)
        {
            char c = text[pos++];
            if (c == quote)
            {
                return sb.ToString();
            }

            if (c == '\\')
            {
                if (pos >= text.Length)
                {
                    break;
                }

                sb.Append(text[pos++]);
                continue;
            }

            if (c == '\n')
            {
                throw new FormatException("a string in the header is not terminated before the end of the line");
            }

            sb.Append(c);
        }

        throw new FormatException("a string in the header is not terminated");
    }

    private long ParseInteger()
    {
        int start = pos;
        if (Peek() == '-')
        {
            pos++;
        }

        while (pos < text.Length && char.IsAsciiDigit(text[pos]))
        {
            pos++;
        }

        ReadOnlySpan<char> digits = text[start..pos];
        if (Peek() is 'L' or 'l')
        {
            pos++; // Python 2 long suffix, written by old NumPy versions.
        }

        if (!long.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value))
        {
            throw new FormatException($"'{digits.ToString()}' in the header is not an integer that fits in 64 bits");
        }

        return value;
    }

    private object? ParseName()
    {
        int start = pos;
        while (pos < text.Length && char.IsAsciiLetterOrDigit(text[pos]))
        {
            pos++;
        }

        ReadOnlySpan<char> name = text[start..pos];
        return name switch
        {
            "True" => true,
            "False" => false,
            "None" => null,
            _ => throw new FormatException($"'{name.ToString()}' in the header is not a Python literal this reader accepts"),
        };
    }
}
