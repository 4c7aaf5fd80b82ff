using System.Reactive;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;

namespace ReactiveKv;

/// <summary>Ordered lifecycle hooks; each phase waits for every result returned by its triggers before the next.</summary>
internal sealed class SystemEventTriggers
{
    private readonly object _gate = new();
    private readonly List<Trigger> _triggers = [];

    public object Add(TriggerPhase phase, SystemEvent systemEvent, Func<IObservable<Unit>?> trigger)
    {
        var entry = new Trigger(phase, systemEvent, trigger);
        lock (_gate)
        {
            _triggers.Add(entry);
        }

        return entry;
    }

    public void Remove(object handle)
    {
        lock (_gate)
        {
            if (handle is not Trigger trigger || !_triggers.Remove(trigger))
            {
                throw new ArgumentException("No such trigger.", nameof(handle));
            }
        }
    }

    public async Task FireAsync(SystemEvent systemEvent, Action<Exception> onError)
    {
        foreach (var phase in new[] { TriggerPhase.Before, TriggerPhase.During, TriggerPhase.After })
        {
            Trigger[] due;
            lock (_gate)
            {
                due = _triggers.Where(t => t.Event == systemEvent && t.Phase == phase).ToArray();
            }

            var waits = new List<Task>();
            foreach (var trigger in due)
            {
                try
                {
                    if (trigger.Run() is { } result)
                    {
                        waits.Add(result.LastOrDefaultAsync().ToTask());
                    }
                }
                catch (Exception e)
                {
                    onError(e);
                }
            }

            foreach (var wait in waits)
            {
                try
                {
                    await wait.ConfigureAwait(false);
                }
                catch (Exception e)
                {
                    onError(e);
                }
            }
        }
    }

    private sealed record Trigger(TriggerPhase Phase, SystemEvent Event, Func<IObservable<Unit>?> Run);
}
