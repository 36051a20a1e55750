// Each collection starts its own portal with demo traffic and its own Chromium. Run them one after the other: two
// of them at once on a small CI machine starve each other and turn waits into timeouts.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
