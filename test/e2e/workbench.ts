import { spawnSync } from 'node:child_process';
// What a person does and sees in the code-server workbench, in their terms: open a file, select
// lines, right-click, answer a prompt, read a notification, the Output or the Problems panel.
// Every selector lives here, so a workbench update is fixed in one file.
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { REPO_ROOT } from '../host/runner/codeServer';

const QUICK_INPUT = '.quick-input-widget:visible';
const TOAST = '.notifications-toasts .notification-toast';
const DIALOG = '.monaco-dialog-box';
const EDITOR = '.editor-instance .monaco-editor';
const OUTPUT = '.part.panel .output-view .monaco-editor';
const PROBLEM_ROW = '.markers-panel .monaco-list-row';
const ACTION_WIDGET = '.action-widget';

/** A part of the page, in pixels: screenshots of one prompt keep the .vsix small. */
export interface Clip {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Every line of a log channel starts with its time stamp; a line without one is a wrapped tail. */
const LOG_LINE_START = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} /;

export interface Problem {
  /** As screen readers hear it: `Error`, `Warning` or `Info`. */
  severity: string;
  message: string;
  /** As the row shows it, e.g. `[Ln 38, Col 1]`. */
  location: string;
}

export class Workbench {
  constructor(readonly page: Page) {}

  /** Waits for the workbench and the Explorer's first file row. */
  async waitReady(): Promise<void> {
    await this.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await this.page
      .locator('.explorer-folders-view .monaco-list-row')
      .first()
      .waitFor({ timeout: 60_000 });
  }

  // --- files and the editor ---------------------------------------------------------------

  /** Opens a workspace file with Quick Open (Control+P) and waits for its text. */
  async openFile(name: string): Promise<void> {
    await this.openQuickInput('Control+P');
    await this.quickInputBox().fill(name);
    await this.quickPickRow(name).waitFor();
    await this.page.keyboard.press('Enter');
    await this.page.locator('.tabs-container .tab.active', { hasText: name }).waitFor();
    await this.page.locator(EDITOR).locator('.view-line').first().waitFor();
  }

  /** Selects whole lines `first` to `last` (1-based, inclusive) with the keyboard. */
  async selectLines(first: number, last: number): Promise<void> {
    await this.page.locator(EDITOR).click({ position: { x: 300, y: 40 } });
    await this.page.keyboard.press('Control+Home');
    for (let line = 1; line < first; line++) await this.page.keyboard.press('ArrowDown');
    for (let line = first; line < last; line++) await this.page.keyboard.press('Shift+ArrowDown');
    await this.page.keyboard.press('Shift+End');
  }

  /** Selects the whole text of the active editor (Control+A). */
  async selectAll(): Promise<void> {
    await this.page.locator(EDITOR).click({ position: { x: 300, y: 40 } });
    await this.page.keyboard.press('Control+A');
  }

  /** Moves the cursor to line `line` (1-based) through Quick Open's `:line`, scrolling it into view. */
  async goToLine(line: number): Promise<void> {
    await this.openQuickInput('Control+P');
    await this.quickInputBox().fill(`:${line}`);
    await this.page.keyboard.press('Enter');
    await this.page.locator(QUICK_INPUT).waitFor({ state: 'hidden' });
    await this.page.locator('.statusbar', { hasText: `Ln ${line},` }).waitFor();
  }

  /** Puts the cursor at the end of the editor's text, which drops the selection. */
  async revealEnd(): Promise<void> {
    await this.page.locator(EDITOR).click({ position: { x: 300, y: 40 } });
    await this.page.keyboard.press('Control+End');
    await this.page.mouse.move(0, 0);
  }

  /** The editor line showing exactly `text` (or matching a pattern), among those rendered. */
  editorLine(text: string | RegExp): Locator {
    return this.page
      .locator(EDITOR)
      .locator('.view-line', { hasText: typeof text === 'string' ? exactly(text) : text });
  }

  /** Right-clicks the editor on the line showing `text`; resolves to the menu's item labels. */
  async openContextMenu(onText: string | RegExp): Promise<string[]> {
    await this.editorLine(onText).click({ button: 'right', position: { x: 20, y: 5 } });
    const menu = this.page.locator('.monaco-menu');
    await menu.waitFor();
    const labels = await menu.locator('.action-label').allInnerTexts();
    return labels.filter((label) => label.trim() !== '');
  }

  async chooseMenuItem(label: string): Promise<void> {
    const menu = this.page.locator('.monaco-menu');
    const item = menu.locator('.action-label', { hasText: exactly(label) });
    await item.click();
    // A click that lands while the menu is still opening only highlights the item; then the
    // highlighted item is chosen with Enter, as a person would after a click that did nothing.
    const closed = await menu
      .waitFor({ state: 'hidden', timeout: 1500 })
      .then(() => true)
      .catch(() => false);
    if (closed) return;
    await item.hover();
    await menu.locator('.action-item.focused', { hasText: exactly(label) }).waitFor();
    await this.page.keyboard.press('Enter');
    await menu.waitFor({ state: 'hidden' });
  }

  /** Hovers the text in the editor; resolves to the hover's text once it shows `expected`. */
  async hoverText(onText: string, expected: string | RegExp): Promise<string> {
    await this.editorLine(onText).hover({ position: { x: 20, y: 5 } });
    return this.hoverShowing(expected);
  }

  /**
   * Shows the hover at the cursor with the keyboard (Control+K Control+I, Show or Focus
   * Hover); resolves to its text once it shows `expected`.
   */
  async hoverAtCursor(expected: string | RegExp): Promise<string> {
    await this.page.keyboard.press('Control+K');
    await this.page.keyboard.press('Control+I');
    return this.hoverShowing(expected);
  }

  private async hoverShowing(expected: string | RegExp): Promise<string> {
    const hover = this.page.locator('.monaco-hover:visible', { hasText: expected }).first();
    try {
      await hover.waitFor({ timeout: 10_000 });
    } catch (error) {
      const shown = await this.page.locator('.monaco-hover:visible').allInnerTexts();
      throw new Error(`No hover shows ${expected}; the hovers shown: ${JSON.stringify(shown)}`, {
        cause: error,
      });
    }
    return hover.innerText();
  }

  /** The lines of the active editor that are rendered (those in view), as they read. */
  async editorLines(): Promise<string[]> {
    const lines = await this.page
      .locator(EDITOR)
      .locator('.view-line')
      .evaluateAll((elements) =>
        elements.map((line) => [line.getAttribute('style') ?? '', line.textContent ?? '']),
      );
    return lines
      .map(([style, text]) => ({
        top: Number(/top:\s*(-?[\d.]+)px/.exec(style)?.[1] ?? NaN),
        text: text.replace(/\u00a0/g, ' '),
      }))
      .sort((a, b) => a.top - b.top)
      .map((line) => line.text);
  }

  /**
   * Puts the cursor on the line showing `text` and opens its quick fixes (Control+.);
   * resolves to the titles offered.
   */
  async openQuickFixes(onText: string): Promise<string[]> {
    await this.editorLine(onText).click({ position: { x: 20, y: 5 } });
    await this.page.keyboard.press('Control+.');
    const rows = this.page.locator(`${ACTION_WIDGET} .monaco-list-row.action`);
    await rows.first().waitFor();
    return (await rows.allInnerTexts()).map((title) => title.trim());
  }

  async chooseQuickFix(title: string): Promise<void> {
    const rows = this.page.locator(`${ACTION_WIDGET} .monaco-list-row.action`);
    await rows.filter({ hasText: exactly(title) }).click();
    await rows.first().waitFor({ state: 'hidden' });
  }

  // --- commands, quick picks, input boxes and dialogs -------------------------------------

  /** Runs a command from the Command Palette (F1) by its full title, as shown there. */
  async runCommand(title: string): Promise<void> {
    await this.openQuickInput('F1');
    await this.quickInputBox().fill(`>${title}`);
    await this.quickPickRow(title).click();
  }

  /** Waits for a quick pick or input box whose title contains `title`; resolves to the title. */
  async waitForPrompt(title: string | RegExp): Promise<string> {
    const heading = this.page.locator(`${QUICK_INPUT} .quick-input-title`, { hasText: title });
    await heading.waitFor();
    return heading.innerText();
  }

  /** The title of the open quick pick or input box, or undefined when none is open. */
  async promptTitle(): Promise<string | undefined> {
    const widget = this.page.locator(QUICK_INPUT);
    if ((await widget.count()) === 0) return undefined;
    return widget.locator('.quick-input-title').innerText();
  }

  /** The labels of the quick pick's rows, without their descriptions and details. */
  async quickPickLabels(): Promise<string[]> {
    const rows = this.page.locator(`${QUICK_INPUT} .quick-input-list .monaco-list-row`);
    return rows.evaluateAll((elements) =>
      elements.map((row) => row.querySelector('.label-name')?.textContent?.trim() ?? ''),
    );
  }

  /** The quick pick's rows as they read: label, description and detail, one string each. */
  async quickPickRows(): Promise<{ label: string; description: string; detail: string }[]> {
    const rows = this.page.locator(`${QUICK_INPUT} .quick-input-list .monaco-list-row`);
    await rows.first().waitFor();
    return rows.evaluateAll((elements) =>
      elements.map((row) => {
        const text = (selector: string) => row.querySelector(selector)?.textContent?.trim() ?? '';
        return {
          label: text('.label-name'),
          description: text('.label-description'),
          detail: text('.quick-input-list-label-meta .monaco-highlighted-label, .label-detail'),
        };
      }),
    );
  }

  /** Clicks the quick pick row labelled `label`, waiting for it to load. */
  async pick(label: string): Promise<void> {
    await this.quickPickRow(label).click();
  }

  /** The input box: its prompt text, and whether it hides what is typed. */
  async inputBox(): Promise<{ prompt: string; password: boolean }> {
    const prompt = await this.page.locator(`${QUICK_INPUT} .quick-input-message`).innerText();
    const password = (await this.quickInputBox().getAttribute('type')) === 'password';
    return { prompt, password };
  }

  /**
   * In a quick pick that takes several choices, checks the rows labelled `labels` and
   * accepts with OK.
   */
  async pickSeveral(labels: string[]): Promise<void> {
    for (const label of labels) {
      await this.quickPickRow(label)
        .locator('input[type="checkbox"], .monaco-checkbox')
        .first()
        .click();
    }
    await this.page
      .locator(`${QUICK_INPUT} .quick-input-action .monaco-button`, { hasText: 'OK' })
      .click();
    await this.page.locator(QUICK_INPUT).waitFor({ state: 'hidden' });
  }

  /**
   * Answers a save dialog. code-server's is a quick input holding the file's path: the path
   * is typed over it and accepted. Resolves to the path the dialog proposed.
   */
  async answerSaveDialog(file: string): Promise<string> {
    // The dialog opens on the folder and then fills in the proposed name.
    let proposed = '';
    await expectSoon(async () => {
      proposed = (await this.quickInputBox().inputValue()).trim();
      if (proposed.endsWith('/')) throw new Error(`The save dialog still shows ${proposed}`);
    });
    await this.quickInputBox().fill(file);
    await this.page.keyboard.press('Enter');
    await this.page.locator(QUICK_INPUT).waitFor({ state: 'hidden' });
    return proposed;
  }

  /** Types into the open input box and presses Enter. */
  async answerInputBox(text: string): Promise<void> {
    await this.quickInputBox().fill(text);
    await this.page.keyboard.press('Enter');
  }

  /** Escape: dismisses the open quick pick, input box or dialog. */
  async dismiss(): Promise<void> {
    await this.page.keyboard.press('Escape');
    await this.page.locator(QUICK_INPUT).waitFor({ state: 'hidden' });
  }

  /** Waits for a modal dialog; resolves to its message, detail and buttons. */
  async waitForDialog(): Promise<{ text: string; buttons: string[] }> {
    const dialog = this.page.locator(DIALOG);
    await dialog.waitFor();
    const text = await dialog.locator('.dialog-message-row').innerText();
    const buttons = await dialog.locator('.dialog-buttons .monaco-button').allInnerTexts();
    return { text, buttons };
  }

  async pressDialogButton(label: string): Promise<void> {
    await this.page.locator(`${DIALOG} .monaco-button`, { hasText: exactly(label) }).click();
    await this.page.locator(DIALOG).waitFor({ state: 'hidden' });
  }

  // --- notifications ----------------------------------------------------------------------

  /** The notification toast showing `text`. */
  toast(text: string | RegExp): Locator {
    return this.page.locator(TOAST, { hasText: text });
  }

  /** Waits for a toast showing `text`; resolves to its message, buttons and severity icon. */
  async waitForToast(
    text: string | RegExp,
    timeout = 30_000,
  ): Promise<{ message: string; buttons: string[]; severity: string }> {
    const toast = this.toast(text).first();
    await toast.waitFor({ timeout });
    const message = await toast.locator('.notification-list-item-message').innerText();
    const buttons = await toast
      .locator('.notification-list-item-buttons-container .monaco-button')
      .allInnerTexts();
    const icon = (await toast.locator('.notification-list-item-icon').getAttribute('class')) ?? '';
    const severity = /codicon-(error|warning|info)/.exec(icon)?.[1] ?? 'unknown';
    return { message, buttons, severity };
  }

  async clickToastButton(text: string | RegExp, button: string): Promise<void> {
    await this.toast(text)
      .first()
      .locator('.monaco-button', { hasText: exactly(button) })
      .click();
  }

  /**
   * Back to a quiet workbench after a test: Escape closes any menu, prompt or dialog left
   * open, and every notification is cleared, so the next test sees only its own.
   */
  async tidyUp(): Promise<void> {
    for (let press = 0; press < 3; press++) await this.page.keyboard.press('Escape');
    await this.clearNotifications();
  }

  /** Clears every notification. */
  async clearNotifications(): Promise<void> {
    await this.runCommand('Notifications: Clear All Notifications');
    await this.page.locator(TOAST).first().waitFor({ state: 'hidden' });
  }

  // --- panels -----------------------------------------------------------------------------

  /**
   * Every line of the Output panel's channel, read by scrolling it from top to bottom (only
   * the lines in view are in the page). Lines the panel wrapped are joined again.
   */
  async outputLines(): Promise<string[]> {
    const output = this.page.locator(OUTPUT);
    await output.locator('.view-line').first().waitFor();
    // Clicking the text focuses the panel's editor, so the keyboard scrolls it.
    await output.click({ position: { x: 40, y: 10 } });

    const rendered = new Map<number, string>();
    const collect = async () => {
      const lines = await output
        .locator('.view-line')
        .evaluateAll((elements) =>
          elements.map((line) => [line.getAttribute('style') ?? '', line.textContent ?? '']),
        );
      let added = 0;
      for (const [style, raw] of lines) {
        // Each line is placed by its offset from the top of the whole text: a stable key.
        const top = Number(/top:\s*(-?[\d.]+)px/.exec(style)?.[1] ?? NaN);
        if (!rendered.has(top)) added++;
        rendered.set(top, raw.replace(/\u00a0/g, ' '));
      }
      return added;
    };

    await this.page.keyboard.press('Control+Home');
    await expectSoon(async () => {
      await collect();
      if (!rendered.has(0)) throw new Error('The Output panel did not scroll to its top');
    });
    for (let quietScrolls = 0; quietScrolls < 2;) {
      await this.page.keyboard.press('PageDown');
      await this.page.waitForTimeout(100);
      quietScrolls = (await collect()) === 0 ? quietScrolls + 1 : 0;
    }

    const logical: string[] = [];
    for (const [, text] of [...rendered].sort(([a], [b]) => a - b)) {
      if (logical.length === 0 || LOG_LINE_START.test(text)) logical.push(text);
      else logical[logical.length - 1] += text;
    }
    return logical.filter((line) => line !== '');
  }

  /** Opens Problems (Control+Shift+M); resolves to the rows in view: files, then markers. */
  async problems(): Promise<Problem[]> {
    await this.page.keyboard.press('Control+Shift+M');
    return this.problemsShown();
  }

  /**
   * The rows of the Problems panel as it shows them now, without pressing anything: Control+Shift+M
   * toggles the panel, so reading again and again must not press it.
   */
  async problemsShown(): Promise<Problem[]> {
    const rows = this.page.locator(PROBLEM_ROW);
    await rows
      .filter({ hasText: /\[Ln \d+, Col \d+\]/ })
      .first()
      .waitFor();
    const problems: Problem[] = [];
    for (const row of await rows.all()) {
      const [message, ...rest] = (await row.innerText()).split('\n');
      const location = rest.find((part) => /^\[Ln \d+, Col \d+\]$/.test(part));
      if (!location) continue;
      const label = (await row.getAttribute('aria-label')) ?? '';
      problems.push({ severity: label.split(':')[0], message, location });
    }
    return problems;
  }

  /** Clicks the Problems row at `location` (e.g. `[Ln 38, Col 1]`), which reveals it in the editor. */
  async openProblem(location: string): Promise<void> {
    await this.page.locator(PROBLEM_ROW, { hasText: location }).first().click();
    await this.page.locator('.statusbar', { hasText: location.replace(/[[\]]/g, '') }).waitFor();
  }

  /**
   * The results at a glance: Output moved next to Problems (View: Move View), the side bar
   * hidden and the panel made taller by dragging its edge, no notifications in the way.
   */
  async showResultsLayout(): Promise<void> {
    await this.clearNotifications();
    await this.runCommand('View: Move View');
    await this.quickInputBox().fill('Output');
    await this.pick('Output');
    await this.pick('Problems');
    await this.page.locator(QUICK_INPUT).waitFor({ state: 'hidden' });
    await this.page.locator('.part.panel .output-view').waitFor();
    await this.runCommand('View: Toggle Primary Side Bar Visibility');

    const edge = await this.page
      .locator('.monaco-sash.horizontal:not(.disabled):visible')
      .boundingBox();
    if (!edge) throw new Error('The edge between the editor and the panel is not on screen');
    const x = edge.x + edge.width / 2;
    const y = edge.y + edge.height / 2;
    await this.page.mouse.move(x, y);
    await this.page.mouse.down();
    await this.page.mouse.move(x, y - 110, { steps: 10 });
    await this.page.mouse.up();
  }

  /** The text of the status bar item named `name` (its accessible name), once it shows. */
  async statusBarItem(name: string | RegExp): Promise<string> {
    const item = this.page.locator('.statusbar .statusbar-item', { hasText: name }).first();
    await item.waitFor();
    return item.innerText();
  }

  /** Clicks the status bar item showing `text`. */
  async clickStatusBarItem(text: string | RegExp): Promise<void> {
    await this.page.locator('.statusbar .statusbar-item', { hasText: text }).first().click();
  }

  /** Saves `media/<name>.png` when CFOR_SCREENSHOTS=1; the tests run the same either way. */
  async screenshot(name: string, clip?: Clip): Promise<void> {
    if (process.env.CFOR_SCREENSHOTS !== '1') return;
    const media = path.join(REPO_ROOT, 'media');
    mkdirSync(media, { recursive: true });
    const file = path.join(media, `${name}.png`);
    // Quick inputs and hovers fade in; a picture taken at once shows them half transparent.
    await this.page.waitForTimeout(500);
    await this.page.screenshot({ path: file, clip });
    // 256 colours lose nothing visible in a workbench and keep the .vsix small; pngquant is
    // Debian's `pngquant` package, and without it the full-colour file stays.
    const quantized = spawnSync('pngquant', [
      '--quality',
      '60-90',
      '--force',
      '--skip-if-larger',
      '--output',
      file,
      file,
    ]);
    if (quantized.error) console.warn(`pngquant is not installed; ${name}.png stays full colour.`);
  }

  /** Saves the page as `test-results/e2e/<name>.png`, to see why a test failed. */
  async saveFailure(name: string): Promise<string> {
    const file = path.join(
      REPO_ROOT,
      'test-results',
      'e2e',
      `${name.replace(/[^\w.-]+/g, '-')}.png`,
    );
    mkdirSync(path.dirname(file), { recursive: true });
    await this.page.screenshot({ path: file });
    return file;
  }

  /**
   * Presses the key that opens Quick Open or the Command Palette, again if the box does not
   * show: a view that takes focus just then (after View: Move View, say) closes it at once.
   */
  private async openQuickInput(key: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      await this.page.keyboard.press(key);
      try {
        await this.quickInputBox().waitFor({ timeout: 3000 });
        return;
      } catch (error) {
        if (attempt === 3) throw error;
      }
    }
  }

  private quickInputBox(): Locator {
    return this.page.locator(`${QUICK_INPUT} input:not([type="checkbox"])`);
  }

  private quickPickRow(label: string): Locator {
    return this.page
      .locator(`${QUICK_INPUT} .quick-input-list .monaco-list-row`)
      .filter({ has: this.page.locator('.label-name', { hasText: exactly(label) }) })
      .first();
  }
}

/** Retries `check` until it stops throwing, for what the page shows a moment later. */
export async function expectSoon(check: () => Promise<void>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

function exactly(text: string): RegExp {
  return new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
}
