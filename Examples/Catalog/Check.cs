namespace ReactiveKv.Examples.Catalog;

/// <summary>The examples' self-checks; a failure throws <see cref="ExampleFailedException"/>.</summary>
public static class Check
{
    /// <summary>Fails unless <paramref name="actual"/> equals <paramref name="expected"/>.</summary>
    public static void Equal<T>(T expected, T actual, string what)
    {
        if (!EqualityComparer<T>.Default.Equals(expected, actual))
        {
            throw new ExampleFailedException($"{what}: expected '{expected}', got '{actual}'");
        }
    }

    /// <summary>Fails unless the two sequences hold the same items in the same order.</summary>
    public static void Sequence<T>(IEnumerable<T> expected, IEnumerable<T> actual, string what)
    {
        var e = expected.ToArray();
        var a = actual.ToArray();
        if (!e.SequenceEqual(a))
        {
            throw new ExampleFailedException($"{what}: expected [{string.Join(" | ", e)}], got [{string.Join(" | ", a)}]");
        }
    }

    /// <summary>Fails unless <paramref name="condition"/> holds.</summary>
    public static void That(bool condition, string what)
    {
        if (!condition)
        {
            throw new ExampleFailedException(what);
        }
    }
}
