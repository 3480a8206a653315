/**
 * Inter-annotator agreement: Krippendorff's alpha, Fleiss' kappa, Cohen's kappa (single pair and
 * pairwise) and percent agreement. Pure functions, no I/O. See docs/agreement.md for the formulas,
 * the input shapes and the conventions for undefined values. The parts are in agreement/: the reliability
 * data they read, alpha, the kappas, percent agreement.
 */

export {
  toReliabilityData,
  type Code,
  type Metric,
  type Rating,
  type ReliabilityData,
  type ReliabilityMatrix,
  type UndefinedReason,
  type UnitWeights,
} from './agreement/reliability-data.ts';
export {
  coincidenceMatrix,
  krippendorffAlpha,
  type AlphaResult,
  type CoincidenceMatrix,
} from './agreement/alpha.ts';
export {
  cohenKappa,
  cohenKappaFromTable,
  fleissKappa,
  fleissKappaFromData,
  pairwiseCohenKappa,
  type CoderPairKappa,
  type KappaResult,
  type PairwiseKappaResult,
} from './agreement/kappa.ts';
export { percentAgreement, type PercentAgreementResult } from './agreement/percent-agreement.ts';
