using System.Globalization;
using System.Reactive.Linq;

namespace ReactiveKv.KyotoTycoon;

public sealed partial class KtClient
{
    /// <inheritdoc />
    public Deferred<KtRecord?> RestGet(byte[] key, CancellationToken cancellationToken = default) =>
        Rest("GET", key, [], [], cancellationToken).Then(r => r.Status switch
        {
            200 => new KtRecord(key, r.Body, r.Header("x-kt-xt") is { } xt ? DateTimeOffset.Parse(xt, CultureInfo.InvariantCulture) : null),
            404 => null,
            _ => throw RestError("GET", r),
        });

    /// <inheritdoc />
    public Deferred<long?> RestHead(byte[] key, CancellationToken cancellationToken = default) =>
        Rest("HEAD", key, [], [], cancellationToken).Then(r => r.Status switch
        {
            200 => (long?)long.Parse(r.Header("content-length") ?? "0", CultureInfo.InvariantCulture),
            404 => null,
            _ => throw RestError("HEAD", r),
        });

    /// <inheritdoc />
    public Deferred<bool> RestPut(byte[] key, byte[] value, KtRestMode mode = KtRestMode.Set, DateTimeOffset? expiresAt = null, CancellationToken cancellationToken = default)
    {
        List<(string, string)> headers = [("X-Kt-Mode", mode.ToString().ToLowerInvariant())];
        if (expiresAt is { } at)
        {
            headers.Add(("X-Kt-Xt", at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)));
        }

        return Rest("PUT", key, headers, value, cancellationToken).Then(r => r.Status switch
        {
            201 => true,
            450 => false,
            _ => throw RestError("PUT", r),
        });
    }

    /// <inheritdoc />
    public Deferred<bool> RestDelete(byte[] key, CancellationToken cancellationToken = default) =>
        Rest("DELETE", key, [], [], cancellationToken).Then(r => r.Status switch
        {
            204 => true,
            404 => false,
            _ => throw RestError("DELETE", r),
        });

    private Deferred<HttpResponse> Rest(string method, byte[] key, IReadOnlyList<(string, string)> headers, byte[] body, CancellationToken cancellationToken)
    {
        // Every byte outside A-Z a-z 0-9 _ - . ~ is percent-encoded: the server drops raw bytes >= 0x80 and reads '+' as a space.
        var database = Options.Database is { } db ? ColumnEncoding.UrlEncode(System.Text.Encoding.UTF8.GetBytes(db)) : "";
        var target = $"/{database}/{ColumnEncoding.UrlEncode(key)}";
        return SendHttp(method, target, headers, body, cancellationToken);
    }

    private static KtException RestError(string method, HttpResponse response) =>
        new($"REST {method}", response.Status, response.Header("x-kt-error") ?? System.Text.Encoding.UTF8.GetString(response.Body).Trim());
}
