import { docker } from './recipes/docker.ts';
import { jupyter } from './recipes/jupyter.ts';
import { k3s } from './recipes/k3s.ts';
import { nginx } from './recipes/nginx.ts';
import { nodeExporter } from './recipes/node-exporter.ts';
import { ollama } from './recipes/ollama.ts';
import { openWebui } from './recipes/open-webui.ts';
import { ray } from './recipes/ray.ts';
import { vllm } from './recipes/vllm.ts';
import { parseRecipe, type Recipe, type RecipeInput } from './schema.ts';

/** The recipes s2a ships, one file each under recipes/. Add a recipe: a file there + a line here. */
export const RECIPE_SOURCES: readonly RecipeInput[] = [
  ollama,
  vllm,
  openWebui,
  nginx,
  docker,
  jupyter,
  ray,
  k3s,
  nodeExporter,
];

let recipes: ReadonlyMap<string, Recipe> | undefined;

function load(): ReadonlyMap<string, Recipe> {
  if (!recipes) {
    const map = new Map<string, Recipe>();
    for (const source of RECIPE_SOURCES) {
      const recipe = parseRecipe(source);
      if (map.has(recipe.name)) throw new Error(`two recipes are named "${recipe.name}"`);
      map.set(recipe.name, recipe);
    }
    recipes = map;
  }
  return recipes;
}

/** Every recipe, validated, in the order above. */
export function listRecipes(): Recipe[] {
  return [...load().values()];
}

export function findRecipe(name: string): Recipe | undefined {
  return load().get(name);
}

/** The recipe named `name`; throws naming the known ones when there is none. */
export function getRecipe(name: string): Recipe {
  const recipe = findRecipe(name);
  if (!recipe) {
    throw new Error(`no app named "${name}"; known apps: ${[...load().keys()].join(', ')}`);
  }
  return recipe;
}
