/**
 * Types shared by every part of Cairn: the exception hierarchy rooted at
 * {@link dev.cairn.common.CairnException} and the {@link dev.cairn.common.Durability} policy.
 *
 * <p>This package sits at the bottom of the layering: it imports nothing else from Cairn.
 */
package dev.cairn.common;
