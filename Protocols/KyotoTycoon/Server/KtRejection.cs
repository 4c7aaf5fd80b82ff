namespace ReactiveKv.KyotoTycoon;

/// <summary>How ktserver answers a request it cannot take (spec §2.1, §5).</summary>
internal enum KtRejection
{
    /// <summary>Close without a response (a malformed request line, an unknown binary magic, an oversized script).</summary>
    Close,

    /// <summary>Drop the connection at once (a line over the length limit).</summary>
    Abort,

    /// <summary>Answer the binary error byte 0xBF, then close (an oversized bulk record).</summary>
    ErrorByte,

    /// <summary>Answer 400 "receiving data failed", then close (a malformed chunked body).</summary>
    BadRequest,

    /// <summary>Answer 413, then close (a body over the limit).</summary>
    TooLarge,
}
