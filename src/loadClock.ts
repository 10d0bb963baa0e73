// Imported first by the composition root, so this line runs when the bundle starts evaluating its modules: the
// test API reports the time from here to activate() as loadMs (what lazy loading keeps small).
export const bundleEvaluationStarted = performance.now();
