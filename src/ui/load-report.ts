// The report dialog is code few readers ever need: a part, loaded on the first Report click
// (see load-part.ts).
import type { WidgetContextValue } from './context';
import { errorText } from './error-text';
import { loadPart, partDeps } from './load-part';

/** Opens the dialog for comment `id`; rejects when its code could not be loaded (a later click tries again). */
export async function openReport(widget: WidgetContextValue, id: string, button: HTMLElement): Promise<void> {
  (await loadPart('report')).openReportDialog(partDeps, widget, id, button, errorText);
}
