// Any path the app does not know.
import { Link } from '../components/Link';
import { PageTitle } from '../components/PageTitle';
import { t } from '../i18n';

export function NotFoundPage() {
  return (
    <section class="panel panel--narrow">
      <PageTitle>{t('notFound.title')}</PageTitle>
      <p>
        <Link href="/">{t('notFound.back')}</Link>
      </p>
    </section>
  );
}
