using System.Runtime.InteropServices;

namespace NftKnock.Testing.Namespaces;

/// <summary>
/// Runs code on a thread of its own that has joined a lab's network namespace, so what the code opens
/// (a netlink socket) belongs to that namespace; the test process and its other threads stay where they are.
/// </summary>
public static partial class JoinedThread
{
    private const int NewNetwork = 0x40000000; // CLONE_NEWNET

    /// <summary>Runs <paramref name="action"/> inside the namespace called <paramref name="netns"/> and returns what it returns.</summary>
    public static T Run<T>(string netns, Func<T> action)
    {
        T? result = default;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var handle = File.OpenHandle($"/run/netns/{netns}");
                if (SetNamespace((int)handle.DangerousGetHandle(), NewNetwork) != 0)
                {
                    throw new InvalidOperationException($"setns into {netns} failed: errno {Marshal.GetLastPInvokeError()}");
                }

                result = action();
            }
            catch (Exception e)
            {
                failure = e;
            }
        });
        thread.Start();
        thread.Join();
        return failure is null ? result! : throw new InvalidOperationException($"inside {netns}: {failure.Message}", failure);
    }

    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static partial int SetNamespace(int fd, int type);
}
