using TorchSharp;

namespace TorchFacade;

/// <summary>
/// PyTorch's <c>model.load_state_dict(state_dict, strict)</c> for TorchSharp modules, with PyTorch's semantics and
/// messages: every parameter and persistent buffer found in the state dict is copied in place (under no-grad, converting
/// dtype and device as <c>copy_</c> does), shape mismatches are errors named per key, and with <c>strict</c> missing
/// and unexpected keys are errors too; all errors are collected and raised together, after the matching entries were
/// copied, exactly as PyTorch does.
/// </summary>
public static class ModuleStateDicts
{
    extension(torch.nn.Module module)
    {
        /// <summary>PyTorch's <c>module.load_state_dict(state_dict, strict)</c>.</summary>
        /// <param name="stateDict">Tensors by PyTorch key (<c>fc.weight</c>), as <see cref="Safetensors.Load"/> returns them.</param>
        /// <param name="strict">Whether missing and unexpected keys are errors (PyTorch's default, <see langword="true"/>).</param>
        /// <returns>The missing and unexpected keys (both empty when <paramref name="strict"/> is true and the call returns).</returns>
        /// <exception cref="TorchException">
        /// <see cref="TorchException.PyTorchType"/> <c>RuntimeError</c>, PyTorch's message: "Error(s) in loading state_dict for Sequential:" followed by one line per problem
        /// ("size mismatch for fc.weight: copying a param with shape torch.Size([2, 3]) from checkpoint, the shape in current
        /// model is torch.Size([3, 3]).", "Missing key(s) in state_dict: ...", "Unexpected key(s) in state_dict: ...").
        /// </exception>
        public IncompatibleKeys LoadStateDict(IReadOnlyDictionary<string, torch.Tensor> stateDict, bool strict = true)
        {
            TensorChecks.ThrowIfNull(stateDict, "LoadStateDict");
            return Load(module, stateDict.Select(p => new KeyValuePair<string, object?>(p.Key, p.Value)).ToList(), strict);
        }

        /// <summary>
        /// PyTorch's <c>module.load_state_dict(torch.load(path)["model"], strict)</c>: the same, for a dictionary as
        /// <see cref="Torch.Load"/> returns it (a non-tensor value under a model key is an error, as in PyTorch).
        /// </summary>
        /// <param name="stateDict">Values by PyTorch key.</param>
        /// <param name="strict">Whether missing and unexpected keys are errors.</param>
        /// <returns>The missing and unexpected keys.</returns>
        /// <exception cref="TorchException">PyTorch's <c>RuntimeError</c> with its messages (see the other overload).</exception>
        public IncompatibleKeys LoadStateDict(IReadOnlyDictionary<string, object?> stateDict, bool strict = true)
        {
            TensorChecks.ThrowIfNull(stateDict, "LoadStateDict");
            return Load(module, stateDict.ToList(), strict);
        }
    }

    private static IncompatibleKeys Load(torch.nn.Module module, List<KeyValuePair<string, object?>> stateDict, bool strict)
    {
        TensorChecks.ThrowIfNull(module, "LoadStateDict");
        TensorChecks.ThrowIfDisposed(module, "LoadStateDict");
        var missing = new List<string>();
        var unexpected = new List<string>();
        var errors = new List<string>();
        Visit(module, string.Empty, stateDict, missing, unexpected, errors);
        if (strict)
        {
            if (unexpected.Count > 0)
            {
                errors.Insert(0, $"Unexpected key(s) in state_dict: {string.Join(", ", unexpected.Select(k => $"\"{k}\""))}. ");
            }

            if (missing.Count > 0)
            {
                errors.Insert(0, $"Missing key(s) in state_dict: {string.Join(", ", missing.Select(k => $"\"{k}\""))}. ");
            }
        }

        if (errors.Count > 0)
        {
            throw new TorchException(PyTorchErrorTypes.RuntimeError, $"Error(s) in loading state_dict for {module.GetType().Name}:\n\t{string.Join("\n\t", errors)}");
        }

        return new IncompatibleKeys(missing, unexpected);
    }

    private static void Visit(torch.nn.Module module, string prefix, List<KeyValuePair<string, object?>> stateDict, List<string> missing, List<string> unexpected, List<string> errors)
    {
        var local = new List<(string Name, torch.Tensor Tensor)>();
        foreach ((string name, TorchSharp.Modules.Parameter p) in module.named_parameters(recurse: false))
        {
            if (p is not null)
            {
                local.Add((name, p));
            }
        }

        foreach ((string name, torch.Tensor b) in module.named_buffers(false, false))
        {
            if (b is not null)
            {
                local.Add((name, b));
            }
        }

        var byKey = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (k, v) in stateDict)
        {
            byKey.TryAdd(k, v);
        }

        foreach ((string name, torch.Tensor param) in local)
        {
            string key = prefix + name;
            if (!byKey.TryGetValue(key, out object? value))
            {
                if (name == "num_batches_tracked" && IsBatchNorm(module))
                {
                    // PyTorch's _BatchNorm._load_from_state_dict: a state dict without version metadata (a plain dict, a
                    // safetensors file, a checkpoint from before PyTorch 0.4.1) gets the module's own num_batches_tracked,
                    // so the key is neither missing nor changed. TorchFacade's loaders keep no metadata, so this always applies.
                    continue;
                }

                missing.Add(key);
                continue;
            }

            if (value is not torch.Tensor input)
            {
                errors.Add($"While copying the parameter named \"{key}\", expected torch.Tensor or Tensor-like object from checkpoint but received {PythonType(value)}");
                continue;
            }

            torch.Tensor? element = null;
            if (param.dim() == 0 && input.dim() == 1)
            {
                // PyTorch's backward compatibility: a 1-element tensor saved by 0.3 into a 0-d parameter.
                element = input[0];
                input = element;
            }

            try
            {
                if (!input.shape.SequenceEqual(param.shape))
                {
                    errors.Add($"size mismatch for {key}: copying a param with shape {CheckpointIO.SizeString(input.shape)} from checkpoint, the shape in current model is {CheckpointIO.SizeString(param.shape)}.");
                    continue;
                }

                try
                {
                    using (torch.no_grad())
                    {
                        param.copy_(input);
                    }
                }
                catch (Exception ex) when (ex is System.Runtime.InteropServices.ExternalException or InvalidOperationException or ArgumentException)
                {
                    errors.Add($"While copying the parameter named \"{key}\", whose dimensions in the model are {CheckpointIO.SizeString(param.shape)} and whose dimensions in the checkpoint are {CheckpointIO.SizeString(input.shape)}, an exception occurred : ('{ex.Message.Split('\n')[0]}',).");
                }
            }
            finally
            {
                element?.Dispose();
            }
        }

        var children = module.named_children().ToList();
        var childNames = new HashSet<string>(children.Select(c => c.Item1), StringComparer.Ordinal);
        var localNames = new HashSet<string>(local.Select(l => l.Name), StringComparer.Ordinal);
        foreach (var (key, _) in stateDict)
        {
            if (key.StartsWith(prefix, StringComparison.Ordinal))
            {
                string first = key[prefix.Length..].Split('.', 2)[0];
                if (!childNames.Contains(first) && !localNames.Contains(first))
                {
                    unexpected.Add(key);
                }
            }
        }

        foreach ((string name, torch.nn.Module child) in children)
        {
            string childPrefix = prefix + name + ".";
            Visit(child, childPrefix, stateDict.Where(p => p.Key.StartsWith(childPrefix, StringComparison.Ordinal)).ToList(), missing, unexpected, errors);
        }
    }

    private static bool IsBatchNorm(torch.nn.Module module) =>
        module is TorchSharp.Modules.BatchNorm1d or TorchSharp.Modules.BatchNorm2d or TorchSharp.Modules.BatchNorm3d;

    private static string PythonType(object? value) => value switch
    {
        null => "<class 'NoneType'>",
        long => "<class 'int'>",
        double => "<class 'float'>",
        bool => "<class 'bool'>",
        string => "<class 'str'>",
        IReadOnlyDictionary<string, object?> or IReadOnlyDictionary<object, object?> => "<class 'dict'>",
        object?[] => "<class 'tuple'>",
        IReadOnlyList<object?> => "<class 'list'>",
        _ => $"<class '{value.GetType().Name}'>",
    };
}
