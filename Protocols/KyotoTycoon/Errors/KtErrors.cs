namespace ReactiveKv.KyotoTycoon;

/// <summary>Where the Kyoto Tycoon client's connection and timeout errors are built: the shared family, KT's wording.</summary>
internal sealed class KtErrors : ClientErrors
{
    public static readonly KtErrors Instance = new();

    private KtErrors()
        : base("Kyoto Tycoon")
    {
    }

    public override Exception NotConnected(ClientRequest request, string server, Exception? lastError) =>
        new ClientConnectionException(
            $"{request.Operation} was not sent: Kyoto Tycoon at {server} is not reachable ({lastError?.Message ?? "not connected"}). Check that ktserver runs there.",
            false,
            lastError);
}
