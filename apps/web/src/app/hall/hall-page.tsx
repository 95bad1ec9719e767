import { useApi } from '../api/use-api';

interface HallView {
  id: string;
  name: string;
  level: 'county' | 'town';
  slogan: string;
}

export function HallPage() {
  const halls = useApi<HallView[]>('catalog', '/halls');
  return (
    <section aria-labelledby="hall-title">
      <h1 id="hall-title">开平优品 品牌馆</h1>
      {halls.error && <p role="alert">{halls.error.message}</p>}
      <ul className="hall-list">
        {halls.data?.map((h) => (
          <li key={h.id}>
            <strong>{h.name}</strong> <span>{h.slogan}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
