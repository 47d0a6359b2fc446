namespace SignalFlow.Tests.Notifications;

/// <summary>
/// Runs code one piece at a time like a grain's scheduler: continuations of awaited work come back to it, so the
/// dispatcher's single-threaded assumption holds in plain tests too.
/// </summary>
internal sealed class GrainLikeScheduler
{
    private readonly TaskScheduler _scheduler = new ConcurrentExclusiveSchedulerPair().ExclusiveScheduler;

    public Task RunAsync(Func<Task> action) =>
        Task.Factory.StartNew(action, CancellationToken.None, TaskCreationOptions.None, _scheduler).Unwrap();

    public Task<T> RunAsync<T>(Func<Task<T>> action) =>
        Task.Factory.StartNew(action, CancellationToken.None, TaskCreationOptions.None, _scheduler).Unwrap();

    public Task<T> Run<T>(Func<T> action) =>
        Task.Factory.StartNew(action, CancellationToken.None, TaskCreationOptions.None, _scheduler);
}
