/**
 * The checkpoint of a run's last epoch (`out`/checkpoint/: the model with its optimizer's state,
 * and the early stopping's state), and resuming a run from it.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type * as tf from "@tensorflow/tfjs";
import { UserError } from "../errors.js";
import { writeFileAtomically } from "../files.js";
import { loadModel, saveModel } from "../model/storage.js";
import type { TrainingState } from "./early-stopping.js";
import type { TrainConfig } from "./train-config.js";
import { REPORT_FILE, readTrainingReport } from "./training-report.js";

const CHECKPOINT = "checkpoint";
const STATE_FILE = "state.json";

/** Saves the last epoch's model, with its optimizer, and `state` to `out`/checkpoint/. */
export async function saveCheckpoint(
  model: tf.LayersModel,
  out: string,
  state: TrainingState,
): Promise<void> {
  await saveModel(model, join(out, CHECKPOINT), { includeOptimizer: true });
  await writeFileAtomically(join(out, CHECKPOINT, STATE_FILE), JSON.stringify(state, null, 2));
}

/** The checkpoint's model (compiled with its optimizer's state) and state. */
export async function resumeFrom(
  out: string,
): Promise<{ model: tf.LayersModel; state: TrainingState }> {
  const folder = join(out, CHECKPOINT);
  let state: TrainingState;
  try {
    state = JSON.parse(await readFile(join(folder, STATE_FILE), "utf8")) as TrainingState;
  } catch {
    throw new UserError(
      `${out}: no checkpoint to resume from (expected ${join(folder, STATE_FILE)})`,
    );
  }
  return { model: await loadModel(folder), state };
}

/** What a resumed run may change: how long it goes on. */
const CHANGEABLE_ON_RESUME: readonly (keyof TrainConfig)[] = ["maxEpochs", "patience"];

/**
 * Refuses to resume a run with other settings than it was trained with (as its report records
 * them; settings the report predates are not compared), since the result would be neither run.
 */
export async function checkResumedConfig(out: string, config: TrainConfig): Promise<void> {
  const saved = (await readTrainingReport(join(out, REPORT_FILE)))?.config;
  if (!saved) return;
  const differing = (Object.keys(saved) as (keyof TrainConfig)[]).filter(
    (key) =>
      !CHANGEABLE_ON_RESUME.includes(key) &&
      !(key === "classWeights" && config.classWeights === undefined) &&
      JSON.stringify(saved[key]) !== JSON.stringify(config[key]),
  );
  if (differing.length)
    throw new UserError(
      `${out} was trained with ${differing.map((key) => `${key} ${JSON.stringify(saved[key])}`).join(", ")}; ` +
        `resume it with the same settings (only ${CHANGEABLE_ON_RESUME.join(" and ")} may change)`,
    );
}
