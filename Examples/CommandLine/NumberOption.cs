using System.CommandLine;
using System.Globalization;

namespace ReactiveKv.Examples.CommandLine;

/// <summary>
/// Whole-number options that say what they expect when given something else ("--port expects a whole number from 0
/// to 65535, got 'abc'") instead of System.CommandLine's message, which names a .NET type.
/// </summary>
internal static class NumberOption
{
    /// <summary>A port: 0 to 65535 (0 picks a free one where the command allows it).</summary>
    public static Option<int?> Port(string description) => Create("--port", description, 0, 65535);

    /// <summary>An optional whole number between <paramref name="min"/> and <paramref name="max"/>.</summary>
    public static Option<int?> Create(string name, string description, int min, int max) => new(name)
    {
        Description = description,
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Join(' ', result.Tokens.Select(t => t.Value));
            if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
            {
                return value;
            }

            result.AddError($"{name} expects a whole number from {min} to {max}, got '{text}'");
            return null;
        },
    };
}
