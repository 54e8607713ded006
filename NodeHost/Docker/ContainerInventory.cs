using System.Collections.Concurrent;

namespace OrleansWg.NodeHost.Docker;

/// <summary>
/// The node's containers as the node knows them, kept in memory between readings of Docker. It
/// is changed under the convergence lock, except that a reconcile's reading of Docker begins
/// without it and containers leave Docker without it. The inventory is made from a listing of
/// Docker by these rules: a container being removed is not listed (Docker may still list it); one
/// being started is as the node entered it, not as Docker lists it; and one the node changed
/// while Docker was being read is as the node has it, since Docker may list it as it was.
/// </summary>
public sealed class ContainerInventory
{
    // Created, and being brought up outside the convergence lock, by id.
    private readonly Dictionary<string, SessionContainer> starting = [];

    // Being removed outside the convergence lock, by id: listings skip them and their ports stay taken until Docker lets them go.
    private readonly ConcurrentDictionary<string, SessionContainer> leaving = [];

    // While a reconcile reads Docker: the containers the node changed since the reading began, by id, which Docker may list as they were.
    private readonly Lock readingLock = new();
    private HashSet<string>? changedWhileReading;

    private List<SessionContainer>? present;

    /// <summary>Whether the inventory was made from a listing yet.</summary>
    public bool IsListed => present is not null;

    /// <summary>The containers being removed outside the convergence lock.</summary>
    public IEnumerable<SessionContainer> Leaving => leaving.Values;

    /// <summary>
    /// Begins a reading of Docker, which may run outside the convergence lock: the containers the
    /// node changes from now on are noted, to be taken as the inventory has them.
    /// </summary>
    /// <returns>The containers being removed now, which Docker may still list.</returns>
    public IReadOnlySet<string> BeginReading()
    {
        lock (readingLock)
        {
            changedWhileReading = [];
        }

        // Taken after the changes are watched: one that leaves Docker during the reading is among either.
        return leaving.Keys.ToHashSet();
    }

    /// <summary>Makes the inventory from a reading begun with <see cref="BeginReading"/>, and ends that reading.</summary>
    public List<SessionContainer> TakeReading(ContainerReading reading)
    {
        HashSet<string> changed;
        lock (readingLock)
        {
            (changed, changedWhileReading) = (changedWhileReading ?? [], null);
        }

        return Make(reading, changed);
    }

    /// <summary>
    /// Makes the inventory from the node's first listing, taken under the convergence lock; a
    /// reading begun before it goes on.
    /// </summary>
    public List<SessionContainer> TakeFirstListing(IReadOnlyList<SessionContainer> listed) =>
        Make(new ContainerReading(listed, new HashSet<string>()), []);

    /// <summary>The containers as the inventory has them, a copy the caller may change.</summary>
    public List<SessionContainer> List() => [.. present ?? throw new InvalidOperationException("the node's containers were not listed yet")];

    /// <summary>Enters a created container, which is being brought up, as <paramref name="created"/> says until it is entered as running.</summary>
    public void EnterStarting(SessionContainer created)
    {
        starting[created.Id] = created;
        Replace(created);
    }

    /// <summary>Enters a container that came up as running, unless it was entered so already.</summary>
    /// <returns>Whether it was entered now.</returns>
    public bool EnterRunning(SessionContainer running)
    {
        if (!starting.Remove(running.Id))
        {
            return false;
        }

        Replace(running);
        return true;
    }

    /// <summary>Puts <paramref name="container"/> in the inventory in place of what it was before.</summary>
    public void Replace(SessionContainer container)
    {
        NoteChanged(container.Id);
        present?.RemoveAll(c => c.Id == container.Id);
        present?.Add(container);
    }

    /// <summary>Takes <paramref name="container"/> out of the inventory.</summary>
    public void Forget(SessionContainer container)
    {
        starting.Remove(container.Id);
        NoteChanged(container.Id);
        present?.RemoveAll(c => c.Id == container.Id);
    }

    /// <summary>Notes that <paramref name="container"/> is being removed outside the convergence lock, until <see cref="Left"/>.</summary>
    public void EnterLeaving(SessionContainer container) => leaving[container.Id] = container;

    /// <summary>Notes that Docker removed a leaving container, or failed to; may be called without the lock.</summary>
    public void Left(string id) => leaving.TryRemove(id, out _);

    private List<SessionContainer> Make(ContainerReading reading, HashSet<string> changed)
    {
        present = [.. reading.Listed
            .Where(c => !reading.Leaving.Contains(c.Id) && !leaving.ContainsKey(c.Id) && !changed.Contains(c.Id))
            .Select(c => starting.GetValueOrDefault(c.Id) ?? c)
            .Concat(present?.Where(c => changed.Contains(c.Id)) ?? [])];
        return [.. present];
    }

    private void NoteChanged(string id)
    {
        lock (readingLock)
        {
            changedWhileReading?.Add(id);
        }
    }
}
