namespace ReactiveKv.Hosting;

/// <summary>
/// The options of one client registered in a container (<c>IOptionsMonitor&lt;ClientSettings&lt;RedisOptions&gt;&gt;.Get(name)</c>):
/// a holder, because the backends' options are immutable records that configuration steps replace rather than edit.
/// </summary>
/// <typeparam name="TOptions">The backend's options type.</typeparam>
public sealed class ClientSettings<TOptions>
    where TOptions : class, IClientOptions, new()
{
    /// <summary>The client's options, as the configuration steps left them.</summary>
    public TOptions Options { get; set; } = new();

    /// <summary>What the configuration steps could not use (a bad URL, an unknown key, a value of the wrong type); reported at start.</summary>
    internal List<string> Problems { get; } = [];
}
