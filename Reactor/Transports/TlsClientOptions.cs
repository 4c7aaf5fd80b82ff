using System.Net.Security;
using System.Reflection;

namespace ReactiveKv;

/// <summary>The TLS settings a connection uses, derived without changing the caller's object (it may be shared by clients of several hosts).</summary>
public static class TlsClientOptions
{
    private static readonly PropertyInfo[] Settable = [.. typeof(SslClientAuthenticationOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanRead && p.CanWrite)];

    /// <summary>
    /// <paramref name="tls"/> itself when it names a target host; otherwise a copy of every setting with
    /// <paramref name="host"/> as the target host (certificates are then checked against it).
    /// </summary>
    public static SslClientAuthenticationOptions ForHost(SslClientAuthenticationOptions? tls, string host)
    {
        if (tls?.TargetHost is { Length: > 0 })
        {
            return tls;
        }

        var copy = new SslClientAuthenticationOptions();
        if (tls is not null)
        {
            foreach (var property in Settable)
            {
                property.SetValue(copy, property.GetValue(tls));
            }
        }

        copy.TargetHost = host;
        return copy;
    }
}
