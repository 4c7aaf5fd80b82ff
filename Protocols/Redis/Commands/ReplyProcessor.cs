namespace ReactiveKv.Redis;

/// <summary>Turns a raw reply into a typed result; throws when the reply has an unexpected type.</summary>
internal delegate T ReplyProcessor<out T>(in RawReply reply);
