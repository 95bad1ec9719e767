import { Link } from 'react-router';
import { imageSrc, stars } from './format';
import type { ProductCard } from './types';

export function ProductCardView({ product, hallId }: { product: ProductCard; hallId?: string }) {
  const to = `/hall/products/${product.id}${hallId ? `?hall=${hallId}` : ''}`;
  return (
    <Link to={to} className="product-card" data-product={product.id}>
      {product.image ? (
        <img src={imageSrc(product.image, 320)} alt={product.name} width={320} height={240} loading="lazy" decoding="async" />
      ) : (
        <span className="placeholder" aria-hidden="true">{product.name.slice(0, 2)}</span>
      )}
      <strong className="name">{product.name}</strong>
      <span className="price">{product.priceText} 起</span>
      <span className="meta">
        {product.starLevel ? <span aria-label={`${product.starLevel} 星`}>{stars(product.starLevel)} </span> : null}
        {product.town ?? ''} · {product.tier}
      </span>
      <span className="marks">
        {product.marks.map((m) => (
          <span key={m} className="tag">{m}</span>
        ))}
      </span>
    </Link>
  );
}
