'use client';
// Placeholder: the catalog explorer is being built.
export default function CatalogPage() {
  return <p>Catalog</p>;
}
