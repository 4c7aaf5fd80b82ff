using System.IO.Pipelines;

namespace ReactiveKv;

/// <summary>Runs pipe continuations on an event loop, so a pipe reader's code is loop code.</summary>
internal sealed class LoopPipeScheduler(EventLoop loop) : PipeScheduler
{
    public override void Schedule(Action<object?> action, object? state) => loop.Post(action, state);
}
