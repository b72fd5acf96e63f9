/**
 * Run buttons: every runnable ```ts block of a page (wrapped in `div.jute-run` at Markdown
 * time, see `config.ts`) gets Run and Edit buttons and an output area. Run executes the
 * blocks of the page up to this one, in order, in a fresh Web Worker (earlier blocks define
 * what later ones use, as in the page's Node test), and shows what this block prints and
 * the figures it draws with `plot` (`docs/tutorials/plot.ts`).
 */
import { figureSvg } from './figure-svg';
import type { RunEvent, RunRequest } from './protocol';

const enhanced = 'data-jute-run-ready';

/** The block's code: the edited text, or the highlighted block's own text. */
function codeOf(block: HTMLElement): string {
  const editor = block.querySelector<HTMLTextAreaElement>('textarea.jute-run-editor');
  if (editor) return editor.value;
  const code = block.querySelector('pre code');
  return (code?.textContent ?? '').replace(/\n$/, '');
}

function button(label: string, cls: string): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = `jute-run-button ${cls}`;
  b.textContent = label;
  return b;
}

/** Runs blocks `0..target` of `blocks` in a new worker; resolves when it is done or stopped. */
function runInWorker(
  codes: readonly string[],
  target: number,
  onEvent: (e: RunEvent) => void,
): { stop: () => void; done: Promise<void> } {
  const worker = new Worker(new URL('./runner.worker.ts', import.meta.url), { type: 'module' });
  let finish: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const end = (): void => {
    worker.terminate();
    finish();
  };
  worker.addEventListener('message', (e: MessageEvent<RunEvent>) => {
    onEvent(e.data);
    if (e.data.type !== 'log' && e.data.type !== 'figure') end();
  });
  worker.addEventListener('error', (e) => {
    onEvent({ type: 'error', text: e.message || 'the worker failed to start', ms: 0 });
    end();
  });
  const req: RunRequest = { type: 'run', blocks: codes, target };
  worker.postMessage(req);
  return {
    stop: () => {
      onEvent({ type: 'error', text: 'stopped', ms: 0 });
      end();
    },
    done,
  };
}

function enhance(block: HTMLElement, all: readonly HTMLElement[], index: number): void {
  block.setAttribute(enhanced, '');
  block.dataset.block = String(index);
  const original = codeOf(block);
  const bar = document.createElement('div');
  bar.className = 'jute-run-bar';
  const run = button('▶ Run', 'jute-run-go');
  const edit = button('Edit', 'jute-run-edit');
  const reset = button('Reset', 'jute-run-reset');
  reset.hidden = true;
  const status = document.createElement('span');
  status.className = 'jute-run-status';
  status.setAttribute('aria-live', 'polite');
  bar.append(run, edit, reset, status);
  const output = document.createElement('pre');
  output.className = 'jute-run-output';
  output.hidden = true;
  output.tabIndex = 0;
  const figures = document.createElement('div');
  figures.className = 'jute-run-figures';
  block.append(bar, output, figures);

  const highlighted = block.querySelector<HTMLElement>('div[class*="language-"]');
  let stop: (() => void) | undefined;

  edit.addEventListener('click', () => {
    let editor = block.querySelector<HTMLTextAreaElement>('textarea.jute-run-editor');
    if (editor === null) {
      editor = document.createElement('textarea');
      editor.className = 'jute-run-editor';
      editor.spellcheck = false;
      editor.setAttribute('aria-label', 'Code of this block (editable)');
      editor.value = original;
      editor.rows = Math.min(40, original.split('\n').length + 1);
      editor.addEventListener('input', () => {
        reset.hidden = editor?.value === original;
      });
      highlighted?.after(editor);
      if (highlighted) highlighted.hidden = true;
      edit.textContent = 'Editing';
      edit.setAttribute('aria-pressed', 'true');
      editor.focus();
    } else {
      editor.focus();
    }
  });
  reset.addEventListener('click', () => {
    block.querySelector('textarea.jute-run-editor')?.remove();
    if (highlighted) highlighted.hidden = false;
    edit.textContent = 'Edit';
    edit.setAttribute('aria-pressed', 'false');
    reset.hidden = true;
  });

  run.addEventListener('click', () => {
    if (stop) {
      stop();
      return;
    }
    const codes = all.slice(0, index + 1).map(codeOf);
    output.hidden = false;
    output.textContent = '';
    figures.replaceChildren();
    output.classList.remove('jute-run-failed');
    block.dataset.runState = 'running';
    status.textContent =
      index === 0 ? 'running…' : `running (blocks 1–${index + 1} of this page, in order)…`;
    run.textContent = '■ Stop';
    const lines: string[] = [];
    const job = runInWorker(codes, index, (e) => {
      if (e.type === 'log') {
        lines.push(e.text);
        output.textContent = lines.join('\n');
      } else if (e.type === 'figure') {
        const figure = document.createElement('figure');
        figure.className = 'jute-run-figure';
        figure.innerHTML = figureSvg(e.figure);
        figures.append(figure);
      } else if (e.type === 'done') {
        status.textContent = `done in ${e.ms} ms${lines.length === 0 ? ' (printed nothing)' : ''}`;
        block.dataset.runState = 'done';
      } else {
        lines.push(e.text);
        output.textContent = lines.join('\n');
        output.classList.add('jute-run-failed');
        status.textContent = e.text === 'stopped' ? 'stopped' : 'failed';
        block.dataset.runState = 'failed';
      }
    });
    stop = job.stop;
    void job.done.then(() => {
      stop = undefined;
      run.textContent = '▶ Run';
    });
  });
}

/** Adds the buttons to every runnable block under `root` not yet enhanced. */
export function enhanceRunnableBlocks(root: ParentNode = document): void {
  const blocks = Array.from(root.querySelectorAll<HTMLElement>('div.jute-run'));
  blocks.forEach((block, k) => {
    if (!block.hasAttribute(enhanced)) enhance(block, blocks, k);
  });
}
