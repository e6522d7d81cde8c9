// The report dialog is code few readers ever need: a part, loaded on the first Report click
// (see load-part.ts), with its words in the reader's language.
import type { WidgetContextValue } from './context';
import { errorText } from './error-text';
import { loadPart, loadPartWords, partDeps } from './load-part';

/** Opens the dialog for comment `id`; rejects when its code could not be loaded (a later click tries again). */
export async function openReport(widget: WidgetContextValue, id: string, button: HTMLElement): Promise<void> {
  const [part] = await Promise.all([loadPart('report'), loadPartWords('report', widget.locale)]);
  part.openReportDialog(partDeps, widget, id, button, errorText);
}
