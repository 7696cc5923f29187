/** Where a genre's generated image is served (Django static files). */
export function genreImageUrl(slug: string, imageUrl?: string | null): string {
  if (imageUrl) return imageUrl.startsWith('/') || imageUrl.startsWith('http') ? imageUrl : `/static/${imageUrl}`;
  return `/static/genre_images/${slug}.png`;
}
