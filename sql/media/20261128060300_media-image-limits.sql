/*
 * media-image-limits: avatars and covers are uploaded already sized (docs/media.md, CDN).
 *
 * The app resizes before uploading (avatar 512 px square, cover 1600 px wide, WebP or JPEG), so
 * every view is served as stored from the CDN: no image transformations billed per origin image,
 * and a few tens of KB per view. The limits leave room for a large JPEG, and refuse camera
 * originals that would cost egress on every view.
 */

update storage.buckets set file_size_limit = 1048576
where id = 'avatars';
update storage.buckets set file_size_limit = 2097152
where id = 'covers';
