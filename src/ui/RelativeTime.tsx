import { exactTime, relativeTime } from '../format/time';
import { useWidget } from './context';

export function RelativeTime({ time }: { time: number }) {
  const { now, locale } = useWidget();
  const exact = exactTime(time, locale);
  return (
    <time dateTime={new Date(time).toISOString()} title={exact}>
      {relativeTime(time, Math.max(now.value, time), locale)}
    </time>
  );
}
