namespace ReactiveKv.Tests.Amqp;

/// <summary>The AMQP tests: one throwaway RabbitMQ broker for the whole run, a fresh vhost per test.</summary>
[CollectionDefinition("rabbitmq")]
public sealed class RabbitMqCollection : ICollectionFixture<RabbitMqFixture>
{
}
