namespace ReactiveKv.Tests.Amqp;

/// <summary>The fake-broker fault tests, run with no other test alongside.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AmqpFaultCollection
{
    public const string Name = "amqp-faults";
}
