/**
 * Compiled training steps: record one step once, replay it without Variables, Nodes or the
 * autograd engine, bitwise equal to eager.
 *
 * <h2>What is recorded, at which level</h2>
 * A trace is one eager step run with a recorder installed ({@code TraceHooks}, one static flag
 * checked in {@code Node.apply}). Every node application is recorded, in execution order, forward
 * and backward alike (backward is made of node applications too): the node instance, the slot of
 * each input array and a new slot for its output. Slots are the step's inputs, then the
 * parameters' values, then node outputs; an input array no node produced is a constant (a seed of
 * ones, a scalar, an index set). Because the tape re-runs the very same forward kernels on the same
 * values in the same order, a replay is bitwise the eager step.
 *
 * <h2>How replay binds inputs, and memory</h2>
 * A replay binds the call's input arrays and each parameter's current value ({@code data()},
 * read live, since the update may replace or mutate it), then calls each recorded node's
 * {@code forward} on the slots' arrays. Each slot is dropped after its last reader (liveness
 * computed once per tape), so intermediates die as early as in eager mode. Output buffers are the
 * kernels' own (kernels allocate their result); a destination-passing kernel API would let the tape
 * own them. Saved state: re-running a node's forward refreshes what it saves (shapes, masks); a
 * node whose backward nodes hold its saved arrays (max pooling's argmax) refills those arrays in
 * place on re-execution. The parameters' gradients are tape-owned Variables re-pointed at their
 * new slots.
 *
 * <h2>What is re-executed</h2>
 * The optimizer update runs as one opaque instruction over the gradient buffers, so its host
 * scalars (step count, a schedule's learning rate) are current at every call.
 *
 * <h2>Guards</h2>
 * Each call's key holds every input's dtype and shape, every parameter's dtype, shape and
 * requires-grad flag, the grad mode and a user guard (training/eval mode); tapes are cached by key,
 * bounded, least recently used dropped first. A trace that reads an input's values to the host
 * (class labels turned into indices) is valid only for those values: they become value guards
 * checked at each call, and new values retrace. A host read of a computed value, or a custom
 * {@code Function}, is a graph break: the step refuses to compile (or runs eagerly, if asked).
 * Host state outside nodes that the step function reads or draws (a {@link java.util.Random}
 * draw in user code, a counter) is seen only when tracing: put it in the guard or in a node.
 */
package dev.nabla.autograd.compile;
