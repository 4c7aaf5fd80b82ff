using System.Globalization;

namespace ReactiveKv.Examples.Handlers;

/// <summary><c>SUM 1 2 3</c> → <c>6</c>: a handler as a class, with argument checking.</summary>
public sealed class SumHandler : ICommandHandler
{
    /// <inheritdoc />
    public string Handle(string arguments)
    {
        long sum = 0;
        foreach (var word in arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!long.TryParse(word, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number))
            {
                throw new CommandException($"'{word}' is not an integer");
            }

            sum += number;
        }

        return sum.ToString(CultureInfo.InvariantCulture);
    }
}
