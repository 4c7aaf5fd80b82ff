namespace ReactiveKv.Amqp;

/// <summary>A mandatory publish the broker could not route, returned (<c>basic.return</c>).</summary>
/// <param name="ReplyCode">Why (312 no-route).</param>
/// <param name="ReplyText">The broker's words.</param>
/// <param name="Exchange">The exchange it was published to.</param>
/// <param name="RoutingKey">Its routing key.</param>
/// <param name="Properties">Its properties.</param>
/// <param name="Body">Its body.</param>
public sealed record AmqpReturnedMessage(ushort ReplyCode, string ReplyText, string Exchange, string RoutingKey, BasicProperties Properties, ReadOnlyMemory<byte> Body);
