using System.Reactive;

namespace ReactiveKv.Redis;

/// <summary>A command's completion without its value type, to wait for a group of mixed commands.</summary>
internal interface IResultSource
{
    IObservable<Unit> Completion { get; }
}
