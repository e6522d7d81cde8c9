import { exactTime, relativeTime } from '../format/time';
import { useWidget } from './context';

export function RelativeTime({ time }: { time: number }) {
  const { now, locale } = useWidget();
  if (!Number.isFinite(new Date(time).getTime())) return null; // the validator's job; belt and braces
  const exact = exactTime(time, locale);
  return (
    <time dateTime={new Date(time).toISOString()} title={exact}>
      {relativeTime(time, Math.max(now.value, time), locale)}
    </time>
  );
}
