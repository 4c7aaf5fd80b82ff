using System.Reflection;

namespace ReactiveKv.Tests.Support;

/// <summary>
/// A fake of any client interface made with <see cref="DispatchProxy"/>: every call is recorded and answered by a
/// handler (by method name and arguments); a call the handler does not answer throws <see cref="NotSupportedException"/>.
/// </summary>
public class ProxyFake<T> : DispatchProxy
    where T : class
{
    private Func<MethodInfo, object?[], object?> _handler = null!;

    /// <summary>The calls made, in order: the method's name and its arguments.</summary>
    public List<(string Method, object?[] Args)> Calls { get; } = [];

    /// <summary>A fake whose calls go to <paramref name="handler"/>.</summary>
    public static (T Client, ProxyFake<T> Fake) Create(Func<MethodInfo, object?[], object?> handler)
    {
        var client = Create<T, ProxyFake<T>>();
        var fake = (ProxyFake<T>)(object)client;
        fake._handler = handler;
        return (client, fake);
    }

    /// <inheritdoc />
    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        args ??= [];
        lock (Calls)
        {
            Calls.Add((targetMethod.Name, args));
        }

        return _handler(targetMethod, args);
    }
}
