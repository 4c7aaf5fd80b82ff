namespace ReactiveKv.Redis;

/// <summary>Receives an out-of-band message (valid only during the call).</summary>
internal delegate void PushHandler(in RawReply push);
