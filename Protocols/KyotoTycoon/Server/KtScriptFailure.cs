namespace ReactiveKv.KyotoTycoon;

/// <summary>Thrown by an embedded server's script procedure to fail <c>play_script</c> with a given HTTP status (the binary protocol answers 0xBF).</summary>
public sealed class KtScriptFailure(int status, string message = "the scripting procedure failed") : Exception(message)
{
    /// <summary>The HTTP status to answer (400, 450, 500...).</summary>
    public int Status { get; } = status;
}
