using System.Text;

namespace ReactiveKv.Examples.Pegasus;

/// <summary>Keys and values as people read them: UTF-8 text where the bytes are valid UTF-8, hex (0x…) otherwise.</summary>
internal static class PegasusText
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static string Show(byte[] bytes)
    {
        try
        {
            var text = Strict.GetString(bytes);
            return text.Any(char.IsControl) ? "0x" + Convert.ToHexString(bytes) : text;
        }
        catch (DecoderFallbackException)
        {
            return "0x" + Convert.ToHexString(bytes);
        }
    }

    /// <summary>Command-line text as bytes; <c>0x…</c> is taken as hex.</summary>
    public static byte[] Parse(string text) =>
        text.StartsWith("0x", StringComparison.Ordinal) && text.Length % 2 == 0 && text.Length > 2 && text[2..].All(Uri.IsHexDigit)
            ? Convert.FromHexString(text[2..])
            : Encoding.UTF8.GetBytes(text);
}
