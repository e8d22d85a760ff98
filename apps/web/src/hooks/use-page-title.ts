import { useEffect } from 'react';

/** Each page names itself in the window title (WCAG 2.4.2), the service after it. */
export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} – Trusted Research Environment`;
  }, [title]);
}
