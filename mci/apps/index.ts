/** App recipes as data, and installApp. */
export {
  describeHealthCheck,
  type HealthOutcome,
  type HealthProbe,
  type HealthProbeRequest,
  type HealthProbeResult,
  NetworkHealthProbe,
  waitForHealth,
} from './health.ts';
export {
  assignRoles,
  InstallError,
  type InstallFailure,
  type InstallNode,
  type InstallPlan,
  type InstallProgress,
  type InstallResult,
  type InstallStep,
  installApp,
  type NodeInstallResult,
} from './install.ts';
export { EXIT_CODES } from './prelude.ts';
export { findRecipe, getRecipe, listRecipes } from './registry.ts';
export { RecipeParameterError, resolveParameters } from './render.ts';
export { checkRequirements, type RequirementCheck, type RequirementProblem } from './requirements.ts';
export {
  type HealthCheck,
  parseRecipe,
  type Recipe,
  type RecipeInput,
  type RecipeOutput,
  type RecipeParameter,
  type RecipePort,
  type RoleName,
} from './schema.ts';
