// libtorch's random generator and its thread count are process-wide. Training takes TwoTowerBuilder.TrainingGate,
// but tests also seed the generator, draw from it (randn, new models, a Trainer run directly) and set threads outside
// that gate; run beside a training in another test class, they moved its seeded stream, and two seeded-training
// tests (TrainingOptionTests: same loss with and without distinct batch items; PairwiseHinge learning the planted
// groups) failed in a CI run. The classes of this assembly run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
