// Imported first by the composition root, so this line runs when the bundle starts evaluating its modules: the
// test API reports the time from here to the end of the composition root's module body as loadMs.
export const bundleEvaluationStarted = performance.now();
