// A multi-step input: one quick input per step, titled with "step/total" and a Back button from the
// second step on, so a wrong answer three prompts back is one click away instead of a restart.
// Escape (or the input losing its place) cancels the whole flow with vscode.CancellationError, which
// the command registry treats as the user closing a prompt.
import * as vscode from 'vscode';

/** Thrown by a step's input when Back was pressed; runSteps returns to the previous step. */
class GoBack extends Error {}

/** Where a step stands in the flow: shown in its title bar. */
export interface StepPlace {
  title: string;
  step: number;
  totalSteps: number;
}

export interface Step<S> {
  /** True when the answers so far make this step pointless (it is then not counted either). */
  skip?: (state: S) => boolean;
  ask: (state: S, place: StepPlace) => Promise<void>;
}

/** Runs the steps in order, Back returning to the last step shown; resolves with the filled state. */
export async function runSteps<S>(title: string, state: S, steps: readonly Step<S>[]): Promise<S> {
  const shown: number[] = [];
  let i = 0;
  while (i < steps.length) {
    if (steps[i].skip?.(state)) {
      i++;
      continue;
    }
    const ahead = steps.slice(i).filter((s) => !s.skip?.(state)).length;
    const place = { title, step: shown.length + 1, totalSteps: shown.length + ahead };
    try {
      await steps[i].ask(state, place);
      shown.push(i);
      i++;
    } catch (e) {
      if (!(e instanceof GoBack)) throw e;
      i = shown.pop() ?? 0;
    }
  }
  return state;
}

/**
 * A step as it was shown: its place, its question and the answer it offered (never a password's).
 * Kept for the in-editor tests (the `shownSteps` hook): VS Code offers no way to read a quick input back.
 */
export interface ShownStep extends StepPlace {
  question: string;
  value?: string;
}

const shown: ShownStep[] = [];

/** The steps shown so far in this session, newest last (the last 50). */
export function shownSteps(): readonly ShownStep[] {
  return shown;
}

function noteShown(step: ShownStep): void {
  shown.push(step);
  if (shown.length > 50) shown.shift();
}

/** A button beside the input that produces the answer another way (e.g. pick a file). */
export interface AnswerButton {
  button: vscode.QuickInputButton;
  /** The answer, or undefined to stay on the step; a thrown Error's message is shown under the input. */
  answer: () => Promise<string | undefined>;
}

export interface TextStep {
  prompt: string;
  value?: string;
  placeholder?: string;
  password?: boolean;
  /** The problem with the value, shown under the input; Enter is refused while there is one. */
  validate?: (value: string) => string | undefined;
  buttons?: AnswerButton[];
}

/** One text answer, trimmed. */
export function askText(place: StepPlace, options: TextStep): Promise<string> {
  const input = vscode.window.createInputBox();
  Object.assign(input, placed(place), {
    prompt: options.prompt,
    value: options.value ?? '',
    placeholder: options.placeholder,
    password: options.password ?? false,
    ignoreFocusOut: true,
    buttons: [...backButton(place), ...(options.buttons ?? []).map((b) => b.button)],
  });
  noteShown({
    ...placed(place),
    question: options.prompt,
    value: options.password ? undefined : input.value,
  });
  return settle<string>(input, (resolve, reject) => [
    input.onDidChangeValue((v) => (input.validationMessage = v ? options.validate?.(v) : undefined)),
    input.onDidAccept(() => {
      const problem = options.validate?.(input.value);
      if (problem) input.validationMessage = problem;
      else resolve(input.value.trim());
    }),
    input.onDidTriggerButton(async (b) => {
      if (b === vscode.QuickInputButtons.Back) return reject(new GoBack());
      const extra = options.buttons?.find((x) => x.button === b);
      if (!extra) return;
      try {
        const answer = await extra.answer();
        if (answer !== undefined) resolve(answer);
      } catch (e) {
        input.validationMessage = e instanceof Error ? e.message : String(e);
      }
    }),
  ]);
}

export interface Choice<T> extends vscode.QuickPickItem {
  id: T;
}

/** One choice among items; `current` is highlighted first (the answer given before Back, or stored). */
export function askChoice<T>(
  place: StepPlace,
  options: { placeholder: string; items: readonly Choice<T>[]; current?: T },
): Promise<T> {
  const pick = vscode.window.createQuickPick<Choice<T>>();
  Object.assign(pick, placed(place), {
    placeholder: options.placeholder,
    items: options.items,
    ignoreFocusOut: true,
    buttons: backButton(place),
  });
  const current = options.items.find((it) => it.id === options.current);
  if (current) pick.activeItems = [current];
  noteShown({ ...placed(place), question: options.placeholder, value: current?.label });
  return settle<T>(pick, (resolve, reject) => [
    pick.onDidAccept(() => {
      const chosen = pick.selectedItems[0] ?? pick.activeItems[0];
      if (chosen) resolve(chosen.id);
    }),
    pick.onDidTriggerButton((b) => b === vscode.QuickInputButtons.Back && reject(new GoBack())),
  ]);
}

const placed = (p: StepPlace) => ({ title: p.title, step: p.step, totalSteps: p.totalSteps });
const backButton = (p: StepPlace) => (p.step > 1 ? [vscode.QuickInputButtons.Back] : []);

/** Shows the input until it resolves, goes back or is hidden (Escape: the flow is cancelled). */
function settle<T>(
  input: vscode.QuickInput,
  wire: (resolve: (v: T) => void, reject: (e: Error) => void) => vscode.Disposable[],
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let done = false;
    const finish = (f: () => void) => {
      if (done) return;
      done = true;
      f();
      vscode.Disposable.from(...listeners).dispose();
      input.dispose();
    };
    const listeners = [
      ...wire(
        (v) => finish(() => resolve(v)),
        (e) => finish(() => reject(e)),
      ),
      input.onDidHide(() => finish(() => reject(new vscode.CancellationError()))),
    ];
    input.show();
  });
}
