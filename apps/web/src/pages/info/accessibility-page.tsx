import { usePageTitle } from '../../hooks/use-page-title';

/** The accessibility statement (WCAG 2.2 AA, as public sector bodies must publish). */
export function AccessibilityPage() {
  usePageTitle('Accessibility statement');
  return (
    <>
      <h1>Accessibility statement</h1>
      <p>
        This statement applies to the web pages of this Trusted Research Environment: the public pages, the
        data uses register, and the pages researchers, committees, output checkers and custodians use.
      </p>
      <h2>How accessible this service is</h2>
      <p>
        The service is built with the NHS.UK design system and aims to meet the Web Content Accessibility
        Guidelines (WCAG) version 2.2 at level AA. You should be able to:
      </p>
      <ul>
        <li>use every page with a keyboard alone</li>
        <li>use every page with a screen reader</li>
        <li>zoom to 400% without text spilling off the screen</li>
        <li>read every status in words, not by colour alone</li>
        <li>hear progress of long work (extracts, workspaces, output checks) as it changes</li>
      </ul>
      <h2>How we test it</h2>
      <p>
        Automated tests open every page and state in a real browser and check it with axe-core against the
        WCAG 2.2 A and AA rules; a change that breaks one of them cannot be released.
      </p>
      <h2>Known problems</h2>
      <p>
        The pages use Arial instead of the NHS Frutiger typeface, because this service loads nothing from
        other websites. Files researchers download (CSV tables and other outputs) are not checked for
        accessibility.
      </p>
      <h2>Reporting a problem</h2>
      <p>
        If you find a problem or need information in a different format, contact the service&apos;s data
        protection and accessibility team through your organisation&apos;s usual support route. We aim to
        reply within 5 working days.
      </p>
      <h2>Enforcement</h2>
      <p>
        The Equality and Human Rights Commission (EHRC) enforces the Public Sector Bodies (Websites and Mobile
        Applications) (No. 2) Accessibility Regulations 2018. If you are not happy with how we respond,
        contact the Equality Advisory and Support Service (EASS).
      </p>
    </>
  );
}
