namespace ReactiveKv.KyotoTycoon;

/// <summary>What the next reply on a client connection must look like, known from the request that asked for it.</summary>
/// <param name="Kind">HTTP, or which binary reply.</param>
/// <param name="Head">An HTTP reply to a HEAD request (it has no body, whatever Content-Length says).</param>
/// <param name="Magic">The binary request's magic byte, which a successful reply repeats.</param>
internal readonly record struct KtAwaited(KtConnection.Kind Kind, bool Head = false, byte Magic = 0);
