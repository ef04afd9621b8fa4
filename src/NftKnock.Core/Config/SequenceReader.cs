using NftKnock.Core.Diagnostics;
using NftKnock.Core.Model;
using NftKnock.Core.Yaml;

namespace NftKnock.Core.Config;

/// <summary>Reads a static door's <c>sequence:</c> and warns about sequences a sweep hits easily.</summary>
internal static class SequenceReader
{
    public static List<Positioned<Step>> Read(MappingView view, YamlScalar name, DiagnosticBag bag)
    {
        var steps = new List<Positioned<Step>>();
        var list = view.ScalarList("sequence");
        if (view.Get("sequence") is null)
        {
            bag.Error(Messages.MissingKey($"The door '{name.Value}'", "sequence", "[7000/udp, 8000/tcp, 9000/udp]"), view.Path, name);
            return steps;
        }

        if (list is null)
        {
            return steps;
        }

        if (list.Count == 0)
        {
            bag.Error(Messages.EmptySequence(), view.Child("sequence"), view.Get("sequence"));
            return steps;
        }

        if (list.Count > Step.MaxPerSequence)
        {
            // Said once; checking each step of a long list for repeats would cost quadratic time for nothing.
            bag.Error(Messages.TooManySteps(list.Count), view.Child("sequence"), view.Get("sequence"));
            return steps;
        }

        for (var i = 0; i < list.Count; i++)
        {
            var path = $"{view.Child("sequence")}[{i}]";
            if (!Step.TryParse(list[i].Value, out var step))
            {
                bag.Error(Messages.BadStep(list[i].Value), path, list[i]);
                continue;
            }

            var first = steps.FindIndex(s => s.Value == step);
            if (first >= 0)
            {
                bag.Error(Messages.RepeatedStep(step.ToString(), IndexOf(list, steps[first].Node) + 1), path, list[i]);
                continue;
            }

            steps.Add(new(step, list[i], path));
        }

        // Sweep warnings only make sense for a sequence that is otherwise right.
        var written = view.Get("sequence") is YamlSequence sequence ? sequence.Items.Count : 1;
        if (steps.Count == written && written <= Step.MaxPerSequence)
        {
            SweepWarnings(steps, view, bag);
        }

        return steps;
    }

    private static void SweepWarnings(List<Positioned<Step>> steps, MappingView view, DiagnosticBag bag)
    {
        var at = view.Get("sequence");
        if (steps.Count < 3)
        {
            bag.Warning(Messages.FewSteps(steps.Count), view.Child("sequence"), at);
        }
        else if (Ordered(steps, (a, b) => a < b))
        {
            bag.Warning(Messages.Monotonic("rising"), view.Child("sequence"), at);
        }
        else if (Ordered(steps, (a, b) => a > b))
        {
            bag.Warning(Messages.Monotonic("falling"), view.Child("sequence"), at);
        }

        for (var i = 1; i < steps.Count; i++)
        {
            if (Math.Abs(steps[i].Value.Port - steps[i - 1].Value.Port) < 100)
            {
                bag.Warning(
                    Messages.NeighbouringSteps(steps[i - 1].Value.ToString(), steps[i].Value.ToString()),
                    steps[i].Path,
                    steps[i].Node);
            }
        }
    }

    private static int IndexOf(IReadOnlyList<YamlScalar> list, YamlNode node)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (ReferenceEquals(list[i], node))
            {
                return i;
            }
        }

        return -1;
    }

    private static bool Ordered(List<Positioned<Step>> steps, Func<int, int, bool> before)
    {
        for (var i = 1; i < steps.Count; i++)
        {
            if (!before(steps[i - 1].Value.Port, steps[i].Value.Port))
            {
                return false;
            }
        }

        return true;
    }
}
