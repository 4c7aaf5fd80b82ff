namespace ReactiveKv;

/// <summary>What every backend's static <c>ConnectAsync</c> does with a client it has just created.</summary>
public static class ConnectableClient
{
    /// <summary>Connects <paramref name="client"/> and returns it; disposes it if the connection fails, then rethrows.</summary>
    public static async Task<T> ConnectOrDisposeAsync<T>(T client, CancellationToken cancellationToken)
        where T : IConnectableClient
    {
        try
        {
            await client.ConnectAsync(cancellationToken).ConfigureAwait(false);
            return client;
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
